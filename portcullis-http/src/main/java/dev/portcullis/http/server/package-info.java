/**
 * The proxy listener and its boundary with policy: {@link dev.portcullis.http.server.ProxyServer} asks a
 * {@link dev.portcullis.http.server.RequestGate} about every {@link dev.portcullis.http.server.ClientRequest}
 * and carries out the {@link dev.portcullis.http.server.GateResult}. Nothing here knows sessions or policy.
 */
package dev.portcullis.http.server;
