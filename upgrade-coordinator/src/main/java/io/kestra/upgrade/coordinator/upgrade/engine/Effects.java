package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.UpgradeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a transition causes: commands to send and events to publish, in the order they happened. The
 * caller writes them to the outbox in the transaction that stores the transition.
 */
public final class Effects {

  private final List<Command> commands = new ArrayList<>();
  private final List<UpgradeEvent> events = new ArrayList<>();

  void send(Command command) {
    commands.add(command);
  }

  void publish(UpgradeEvent event) {
    events.add(event);
  }

  public List<Command> commands() {
    return List.copyOf(commands);
  }

  public List<UpgradeEvent> events() {
    return List.copyOf(events);
  }

  public boolean isEmpty() {
    return commands.isEmpty() && events.isEmpty();
  }
}
