package dev.portcullis.http.auth;

import dev.portcullis.config.AppConfig;
import dev.portcullis.http.server.UpstreamTarget;
import dev.portcullis.policy.AppResource;

/** One configured app as the gate uses it: its config, its policy resource and its upstream. */
record AppRoute(AppConfig config, AppResource resource, UpstreamTarget upstream) {

  String name() {
    return config.name();
  }
}
