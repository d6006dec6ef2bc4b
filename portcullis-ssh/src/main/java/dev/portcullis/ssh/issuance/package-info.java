/**
 * SSH certificate issuance from policy: {@link dev.portcullis.ssh.issuance.SshCertificateIssuer} turns a
 * signed-in identity and a public key into a user certificate whose principals, lifetime and extensions
 * come from the user's roles, and {@link dev.portcullis.ssh.issuance.NodePrincipals} answers a node's
 * question "which logins may this user use here?". Neither records audit events; each returns what one
 * needs.
 */
package dev.portcullis.ssh.issuance;
