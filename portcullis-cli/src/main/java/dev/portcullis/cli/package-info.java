/**
 * The user's Portcullis commands: {@link dev.portcullis.cli.LoginCommand login},
 * {@link dev.portcullis.cli.StatusCommand status}, {@link dev.portcullis.cli.LogoutCommand logout},
 * {@link dev.portcullis.cli.SshConfigCommand ssh-config} and {@link dev.portcullis.cli.SshCommand ssh}, as
 * picocli commands for the {@code portcullis} main. {@link dev.portcullis.cli.CliContext} holds what they take
 * from the outside world.
 */
package dev.portcullis.cli;
