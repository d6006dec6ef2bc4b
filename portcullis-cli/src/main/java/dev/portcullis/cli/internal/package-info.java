/** The CLI's internals: the HTTP API client, the loopback sign-in, key and certificate files, ssh-agent and ssh_config. */
package dev.portcullis.cli.internal;
