/** Upstream side: header hygiene, the per-event-loop connection pool, streaming relay and WebSocket tunnels. */
package dev.portcullis.http.proxy.internal;
