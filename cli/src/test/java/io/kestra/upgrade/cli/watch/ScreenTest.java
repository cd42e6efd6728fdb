package io.kestra.upgrade.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenTest {

  @Test
  void onATerminalTheLiveBlockIsRedrawnInPlaceBelowTheLinesThatStay() {
    StringWriter out = new StringWriter();
    Screen screen = new Screen(new PrintWriter(out), true);
    screen.live(List.of("bar 1", "bar 2"));
    screen.print("done");
    screen.live(List.of("bar 2"));
    String nl = System.lineSeparator();
    assertThat(out.toString())
        .isEqualTo(
            "bar 1"
                + nl
                + "bar 2"
                + nl
                // up two lines, clear, the line that stays, the block again
                + "\033[2F\033[J"
                + "done"
                + nl
                + "bar 1"
                + nl
                + "bar 2"
                + nl
                + "\033[2F\033[J"
                + "bar 2"
                + nl);
  }

  @Test
  void elsewhereOnlyTheLiveLinesThatChangedArePrinted() {
    StringWriter out = new StringWriter();
    Screen screen = new Screen(new PrintWriter(out), false);
    screen.live(List.of("a 3", "b 2"));
    screen.live(List.of("a 2", "b 2"));
    assertThat(out.toString().lines()).containsExactly("a 3", "b 2", "a 2");
  }
}
