package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AgentKeysTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String MASTER = "a-master-key-of-at-least-thirty-two-bytes";

  @Test
  void hkdfMatchesRfc5869TestCase1() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    byte[] prk = AgentKeys.extract(salt, ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(AgentKeys.expand(prk, info, 42)))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void hkdfMatchesRfc5869TestCase3WithoutSaltOrInfo() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] prk = AgentKeys.extract(new byte[0], ikm);
    assertThat(HEX.formatHex(AgentKeys.expand(prk, new byte[0], 42)))
        .isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void eachAgentHasItsOwnStableKey() {
    String w1 = AgentKeys.deriveText(MASTER, "prod/worker/worker-1");
    assertThat(w1).hasSize(64).matches("[0-9a-f]+");
    assertThat(AgentKeys.deriveText(MASTER, "prod/worker/worker-1")).isEqualTo(w1);
    assertThat(AgentKeys.deriveText(MASTER, "prod/worker/worker-2")).isNotEqualTo(w1);
    assertThat(AgentKeys.deriveText(MASTER + "x", "prod/worker/worker-1")).isNotEqualTo(w1);
    assertThat(AgentKeys.parse(w1.toUpperCase()))
        .isEqualTo(AgentKeys.derive(MASTER, "prod/worker/worker-1"));
  }

  @Test
  void shortMasterKeysBadAgentIdsAndMalformedKeysAreRefused() {
    assertThatThrownBy(() -> AgentKeys.derive("short", "prod/worker/w1"))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> AgentKeys.derive(MASTER, "prod/robot/w1"))
        .hasMessageContaining("unknown component kind");
    assertThatThrownBy(() -> AgentKeys.parse("zz".repeat(32))).hasMessageContaining("hex digits");
  }
}
