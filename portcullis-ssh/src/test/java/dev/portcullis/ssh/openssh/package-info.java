/**
 * Fixtures for tests against real OpenSSH: a throwaway Debian {@code sshd} on a free loopback port
 * ({@link dev.portcullis.ssh.openssh.TestSshd}), the real {@code ssh} client set up as a Portcullis user's
 * config would be ({@link dev.portcullis.ssh.openssh.SshClient}), and key files as OpenSSH keeps them. This
 * module's test jar carries this package to the tests of portcullis-cli and portcullis-node.
 */
package dev.portcullis.ssh.openssh;
