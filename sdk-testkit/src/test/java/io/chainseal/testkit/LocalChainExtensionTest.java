package io.chainseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes that use {@link WithLocalChain} through the JUnit engine, and checks that
 * their chain was injected, shared, configured, and stopped afterwards — also when a test fails.
 */
@Tag("slow")
class LocalChainExtensionTest {
  /** Process ids seen by the inner classes; the engine runs them synchronously in this JVM. */
  static final List<Long> seenPids = new CopyOnWriteArrayList<>();
  static final List<Long> seenChainIds = new CopyOnWriteArrayList<>();

  @Test
  void stopsTheChainEvenWhenATestFails() {
    seenPids.clear();
    Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingUser.class)).execute().testEvents();
    tests.assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
    assertEquals(2, seenPids.size());
    assertEquals(seenPids.get(0), seenPids.get(1), "one chain shared by the class");
    assertFalse(ProcessHandle.of(seenPids.get(0)).map(ProcessHandle::isAlive).orElse(false), "anvil survived the class");
  }

  @Test
  void appliesTheAnnotationsSettingsAndSharesTheChainWithNestedClasses() {
    seenPids.clear();
    seenChainIds.clear();
    Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ConfiguredUser.class)).execute().testEvents();
    tests.assertStatistics(stats -> stats.started(2).succeeded(2));
    assertEquals(List.of(777L, 777L), seenChainIds);
    assertEquals(seenPids.get(0), seenPids.get(1), "nested class reuses the enclosing chain");
    assertFalse(ProcessHandle.of(seenPids.get(0)).map(ProcessHandle::isAlive).orElse(false));
  }

  @WithLocalChain
  static class FailingUser {
    @Test
    void passes(LocalChain chain) {
      seenPids.add(chain.pid().orElseThrow());
      assertEquals(0, chain.blockNumber());
    }

    @Test
    void fails(LocalChain chain) {
      seenPids.add(chain.pid().orElseThrow());
      throw new AssertionError("deliberate failure");
    }
  }

  @WithLocalChain(chainId = 777, accounts = 2)
  static class ConfiguredUser {
    private final LocalChain chain;

    ConfiguredUser(LocalChain chain) {
      this.chain = chain;
    }

    @Test
    void seesItsSettings() {
      seenPids.add(chain.pid().orElseThrow());
      seenChainIds.add(Long.decode(chain.rpc("eth_chainId").asText()));
      assertEquals(2, chain.accounts().size());
    }

    @Nested
    class Inner {
      @Test
      void sharesTheChain(LocalChain inner) {
        seenPids.add(inner.pid().orElseThrow());
        seenChainIds.add(inner.chainId());
      }
    }
  }
}
