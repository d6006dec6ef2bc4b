/**
 * Fixtures for tests against real OpenSSH, copied from portcullis-ssh's tests (test code is not shared between
 * modules): a throwaway Debian sshd, a real ssh-agent, and command runners.
 */
package dev.portcullis.cli.openssh;
