/**
 * Fixtures for tests against real OpenSSH, for every module: a throwaway Debian {@code sshd} set up as a node
 * that joins Portcullis ({@link dev.portcullis.testing.openssh.NodeSshd}: it includes a drop-in directory and
 * reloads on SIGHUP), {@link dev.portcullis.testing.openssh.Command} to run the real {@code ssh} and friends, and
 * {@link dev.portcullis.testing.openssh.RealOpenSsh} to skip locally but fail in CI when OpenSSH or root is missing.
 */
package dev.portcullis.testing.openssh;
