/** Client-side pipeline: TLS and ALPN, HTTP/1.1 and HTTP/2 codecs, request checks and the per-request state machine. */
package dev.portcullis.http.server.internal;
