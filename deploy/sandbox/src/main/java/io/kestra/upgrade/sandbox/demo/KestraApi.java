package io.kestra.upgrade.sandbox.demo;

import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The stand-in Kestra's API as a user reaches it through a load balancer in front of its
 * webservers: a call goes to the first webserver, and to the next when one refuses the connection
 * or does not answer 200, as a load balancer's retry on another upstream would ({@code
 * proxy_next_upstream} in nginx, retries in HAProxy or Envoy). With one webserver it is that
 * webserver's API.
 */
final class KestraApi {

  /** The stand-in takes no token. */
  private final Http http = new Http();

  private final List<String> bases;

  /**
   * @param bases each webserver's base URL, the one called first first
   */
  KestraApi(List<String> bases) {
    if (bases.isEmpty()) {
      throw new IllegalArgumentException("no webserver to call");
    }
    this.bases = List.copyOf(bases);
  }

  /**
   * GETs {@code path}: the first 200 answer, else the last webserver's answer.
   *
   * @throws IOException when the last webserver tried does not answer
   */
  Http.Answer get(String path, Duration timeout) throws IOException, InterruptedException {
    for (int i = 0; i < bases.size() - 1; i++) {
      try {
        Http.Answer a = http.get(bases.get(i) + path, timeout);
        if (a.status() == 200) {
          return a;
        }
      } catch (IOException e) {
        // the next webserver is tried, as a load balancer would
      }
    }
    return http.get(bases.get(bases.size() - 1) + path, timeout);
  }
}
