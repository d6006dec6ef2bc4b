/**
 * Internals of the SSH certificate authorities: request validation, the CA key files, Ed25519 key handling
 * and the MINA SSHD certificate builder. Not API; use {@link dev.portcullis.ssh.ca.SshCertificateAuthority}.
 */
package dev.portcullis.ssh.ca.internal;
