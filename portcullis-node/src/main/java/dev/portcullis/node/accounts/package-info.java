/**
 * Local accounts on a node: {@link dev.portcullis.node.accounts.AccountReconciler} makes the host's accounts
 * and sudo drop-ins match the {@link dev.portcullis.node.accounts.DesiredAccount}s that Portcullis roles grant
 * on this node, touching only accounts it created, and returns a
 * {@link dev.portcullis.node.accounts.ReconcileReport} for the audit log. The node agent runs it as root.
 */
package dev.portcullis.node.accounts;
