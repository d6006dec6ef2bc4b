/** The bastion's moving parts: the outer jump listener, the inner terminating server, the upstream client and the relay. */
package dev.portcullis.bastion.internal;
