/**
 * The node agent: {@code portcullis node join|principals|run} ({@link dev.portcullis.node.agent.NodeCommand}).
 *
 * <p>{@link dev.portcullis.node.agent.NodeJoin} enrolls the host with a one-time token (SSH-API.md, endpoint 7)
 * and configures its own sshd. By default it writes:
 * <ul>
 *   <li>{@code /etc/ssh/portcullis_user_ca.pub} (0644): the user CA keys, sshd's {@code TrustedUserCAKeys};
 *   <li>{@code /etc/ssh/ssh_host_ed25519_key-cert.pub} (0644): the host certificate, {@code HostCertificate};
 *   <li>{@code /etc/ssh/sshd_config.d/50-portcullis.conf} (0644): the drop-in with those two,
 *       {@code AuthorizedPrincipalsCommand LAUNCHER node principals --login=%u --key-id=%i} and
 *       {@code AuthorizedPrincipalsCommandUser portcullis};
 *   <li>{@code /etc/portcullis/} (0750 root:portcullis) with {@code node.json} (0640 root:portcullis: proxy URL,
 *       node name, labels, the node credential, the pinned TLS key with {@code --insecure}, and the paths above)
 *       and the launcher {@code portcullis} (0755 root), which runs this jar with this Java.
 * </ul>
 *
 * <p>sshd runs the principals command as the unprivileged system user {@code portcullis} (created by join when
 * missing), and that user must read the node credential to call endpoint 9. The credential is therefore readable
 * by root and that user's group only: a dedicated account rather than {@code nobody}, which other daemons share.
 * The launcher, the jar, the Java runtime and every directory above them must be root's and writable by root
 * only, as sshd itself demands of the command: whoever can change them decides who logs in as whom.
 *
 * <p>The principals command ({@link dev.portcullis.node.agent.NodePrincipals}) asks the server at every login
 * attempt and fails closed: on any error it prints nothing and exits 1 within three seconds, and sshd refuses.
 * {@link dev.portcullis.node.agent.NodeAgent} heartbeats (endpoint 8) and makes local accounts, the user CA keys
 * and the host certificate match the answer, checking with {@code sshd -t} before every reload.
 */
package dev.portcullis.node.agent;
