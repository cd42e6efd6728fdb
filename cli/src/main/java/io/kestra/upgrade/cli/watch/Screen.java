package io.kestra.upgrade.cli.watch;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a followed upgrade is shown: lines that stay (a phase done, a step that failed), and a
 * block of live lines (the draining workers' progress bars). On a terminal the live block is
 * redrawn in place below the lines that stay; elsewhere (a pipe, a CI log) a live line is printed
 * like any other, once per change, so the output stays plain text.
 */
public final class Screen {

  private final PrintWriter out;
  private final boolean terminal;
  private List<String> live = List.of();

  /**
   * @param out where to write
   * @param terminal whether {@code out} is a terminal that understands ANSI cursor moves
   */
  public Screen(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A line that stays. */
  void print(String line) {
    if (terminal) {
      erase();
      out.println(line);
      draw();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The live block becomes {@code lines}; plain output prints only the lines that changed. */
  void live(List<String> lines) {
    if (terminal) {
      erase();
      live = List.copyOf(lines);
      draw();
    } else {
      List<String> changed = new ArrayList<>(lines);
      changed.removeAll(live);
      changed.forEach(out::println);
      live = List.copyOf(lines);
    }
    out.flush();
  }

  private void erase() {
    if (!live.isEmpty()) {
      // up to the first live line, then clear to the end of the screen
      out.print("\033[" + live.size() + "F\033[J");
    }
  }

  private void draw() {
    live.forEach(out::println);
  }
}
