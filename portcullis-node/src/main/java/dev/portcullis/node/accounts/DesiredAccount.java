package dev.portcullis.node.accounts;

import java.util.Objects;

/**
 * A local account that roles grant on this node, and whether they also grant it sudo. The login is not
 * checked here: {@link AccountReconciler} refuses a bad one and reports why, so one role whose login template
 * expands to garbage cannot stop the other accounts from being reconciled.
 *
 * @param login the Unix login name; see {@link LoginNames} for what is accepted
 * @param sudo  whether the account may run any command as root through sudo, without a password
 */
public record DesiredAccount(String login, boolean sudo) {

  public DesiredAccount {
    Objects.requireNonNull(login, "login");
  }
}
