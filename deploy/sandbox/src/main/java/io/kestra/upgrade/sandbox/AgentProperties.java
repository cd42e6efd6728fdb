package io.kestra.upgrade.sandbox;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of one agent process, as system properties of {@code component-agent}. The
 * database password goes through the environment ({@link #ENV_PASSWORD}), not the command line.
 */
final class AgentProperties {

  static final String ENV_PASSWORD = "AGENT_DRIVER_PROCESS_DATABASE_PASSWORD";

  private AgentProperties() {}

  static Map<String, String> of(
      Layout layout,
      Database db,
      String cluster,
      FleetSpec.Server s,
      Path configFile,
      String version) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kafka.bootstrap.servers", "localhost:" + Ports.KAFKA);
    p.put("agent.cluster", cluster);
    p.put("agent.kind", s.kind());
    p.put("agent.instance", s.instance());
    p.put("agent.state-dir", layout.agentState(s.instance()).toString());
    if (!s.capabilities().isEmpty()) {
      p.put("agent.capabilities", s.capabilities());
    }
    p.put("agent.driver.type", "process");
    p.put("agent.driver.process.install-dir", layout.kestraInstall().toString());
    p.put("agent.driver.process.initial-version", version);
    p.put("agent.driver.process.autostart", "true");
    if (!s.serverArgs().isEmpty()) {
      p.put("agent.driver.process.server-args", String.join(",", s.serverArgs()));
    }
    p.put("agent.driver.process.config-file", configFile.toString());
    p.put("agent.driver.process.management-port", Integer.toString(s.managementPort()));
    p.put(
        "agent.driver.process.log-file",
        layout.logs().resolve("kestra-" + s.instance() + ".log").toString());
    p.put("agent.driver.process.backup-dir", layout.home().resolve("backups").toString());
    p.put("agent.driver.process.database.url", db.url(Database.KESTRA));
    p.put("agent.driver.process.database.username", db.user());
    p.put("quarkus.log.file.enable", "false");
    return p;
  }
}
