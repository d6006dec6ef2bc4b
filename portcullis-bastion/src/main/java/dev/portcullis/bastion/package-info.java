/**
 * The SSH bastion: a jump host for stock OpenSSH ({@code ssh -J}) that authenticates Portcullis user
 * certificates, authorizes node and login by policy, terminates the session and re-originates it to the
 * node with a short-lived certificate, and records and audits what happens.
 */
package dev.portcullis.bastion;
