/**
 * Internals of local account management: running host commands without a shell, the Linux implementation of
 * {@link dev.portcullis.node.accounts.HostCommands}, sudoers drop-in files and the managed-accounts state
 * file. Not API; use {@link dev.portcullis.node.accounts.AccountReconciler}.
 */
package dev.portcullis.node.accounts.internal;
