/**
 * Internals of the node agent: the HTTP client for the node endpoints and its TLS pinning, sshd configuration
 * text and commands, undoable file writes, key and certificate lines, the principals user and the launcher.
 * Not API; use the classes of {@link dev.portcullis.node.agent}.
 */
package dev.portcullis.node.agent.internal;
