/**
 * OpenSSH certificate authorities: {@link dev.portcullis.ssh.ca.SshCertificateAuthority} signs short-lived
 * user certificates ({@link dev.portcullis.ssh.ca.UserCertificateRequest}) and host certificates
 * ({@link dev.portcullis.ssh.ca.HostCertificateRequest}) with rotatable Ed25519 keys. Stock OpenSSH accepts
 * the results: sshd through {@code TrustedUserCAKeys}, clients through a known_hosts
 * {@code @cert-authority} line.
 */
package dev.portcullis.ssh.ca;
