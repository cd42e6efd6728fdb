package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The sandbox's fixed ports, and a check that something listens on one. Every Kestra server binds
 * two ports, as real Kestra does: its API ({@code micronaut.server.port}) and its management
 * endpoints ({@code endpoints.all.port}); in the sandbox each server has its own pair.
 */
public final class Ports {

  public static final int POSTGRES = 15432;
  public static final int KAFKA = 19092;
  public static final int KAFKA_CONTROLLER = 19093;
  public static final int COORDINATOR = 8090;

  /** The webserver's API: the one a user calls. */
  public static final int KESTRA_API = 18080;

  /** Management ports are this plus the server's number in the fleet (1, 2, ...). */
  public static final int KESTRA_MANAGEMENT_BASE = 18080;

  /**
   * API ports of the servers other than the webserver are this plus the server's number in the
   * fleet: they bind it too, although nobody calls them there.
   */
  public static final int KESTRA_SERVER_API_BASE = 18090;

  private Ports() {}

  /** Whether a TCP connection to localhost:{@code port} succeeds. */
  public static boolean isOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("localhost", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
