package io.chainseal.testing;

import io.chainseal.host.Chainseal;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.testkit.LocalChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A local chain with Chainseal's contracts and a folder for journals and stores: what a host's test
 * needs before its first {@link Chainseal}. Get one from {@link WithChainseal} or {@link #on(LocalChain)}.
 *
 * <pre>{@code
 * @WithChainseal
 * class ChatTest {
 *   @Test
 *   void anchors(ChainsealFixture fixture) throws Exception {
 *     try (Chainseal chainseal = fixture.chainsealBuilder("server-1").build()) {
 *       Outgoing out = chainseal.onOutgoing(message, sendersKey);
 *       MessageProof proof = out.pending().await(Duration.ofMinutes(1));
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} deletes the folder; the chain belongs to whoever started it.
 */
public final class ChainsealFixture implements AutoCloseable {
  private final LocalChain chain;
  private final ChainsealContracts contracts;
  private final Path directory;

  private ChainsealFixture(LocalChain chain, ChainsealContracts contracts, Path directory) {
    this.chain = chain;
    this.contracts = contracts;
    this.directory = directory;
  }

  /**
   * Deploys Chainseal's contracts on {@code chain} ({@link ChainsealContracts#deploy}) and makes a
   * temporary folder.
   */
  public static ChainsealFixture on(LocalChain chain) {
    Objects.requireNonNull(chain, "chain == null");
    ChainsealContracts contracts = ChainsealContracts.deploy(chain);
    try {
      return new ChainsealFixture(chain, contracts, Files.createTempDirectory("chainseal-fixture-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the fixture's folder", e);
    }
  }

  /** The chain. */
  public LocalChain chain() {
    return chain;
  }

  /** The deployed contracts and the accounts that own them. */
  public ChainsealContracts contracts() {
    return contracts;
  }

  /** The fixture's own folder, deleted on {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /**
   * A builder for a Chainseal instance named {@code name}, set up with the SDK's defaults plus: this
   * chain and its id, the anchor contract, the publisher's key (account 1), a SQLite journal and an
   * encrypted SQLite message store in {@code directory()/name/}. Add or change anything before
   * {@code build()}; instances with different names share nothing but the chain.
   */
  public Chainseal.Builder chainsealBuilder(String name) {
    Objects.requireNonNull(name, "name == null");
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name may hold letters, digits, '.', '_' and '-' only: " + name);
    }
    Path folder = directory.resolve(name);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
    return Chainseal.builder()
        .rpc(chain.rpcUrl())
        .chainId(chain.chainId())
        .anchorContract(contracts.anchor().address(), contracts.anchorDeploymentBlock())
        .publisherKey(contracts.publisher().signingKey())
        .journal(folder.resolve("anchor.db"))
        .store(folder.resolve("messages.db"), KeystoreKeyProvider.open(folder.resolve("keys.p12"), name.toCharArray()));
  }

  /** Deletes the fixture's folder. Close every Chainseal built from it first. Idempotent. */
  @Override
  public void close() {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }

  @Override
  public String toString() {
    return "ChainsealFixture[" + chain + ", anchor " + contracts.anchor().address() + "]";
  }
}
