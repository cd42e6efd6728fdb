package io.kestra.upgrade.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The sandbox's fixed ports, and a check that something listens on one. */
public final class Ports {

  public static final int POSTGRES = 15432;
  public static final int KAFKA = 19092;
  public static final int KAFKA_CONTROLLER = 19093;
  public static final int COORDINATOR = 8090;
  public static final int KESTRA_API = 18080;

  /** Management ports are this plus the server's index in the fleet (1, 2, ...). */
  public static final int KESTRA_MANAGEMENT_BASE = 18080;

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
