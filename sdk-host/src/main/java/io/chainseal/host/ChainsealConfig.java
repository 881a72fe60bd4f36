package io.chainseal.host;

import io.chainseal.anchor.BatchPolicy;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.SigningKey;
import io.chainseal.store.KeystoreKeyProvider;
import io.chainseal.wallet.Keystore;
import io.chainseal.wallet.WalletKey;
import io.chainseal.wallet.WalletKeyException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@link Chainseal} from a properties file. Keys (relative paths are resolved against the file's folder;
 * passwords never appear in the file, only the names of the environment variables holding them):
 *
 * <pre>
 * chainseal.rpc = https://rpc.example.org, https://backup.example.org   # one or more endpoints of one chain
 * chainseal.chain-id = 8453
 * chainseal.anchor-contract = 0x…@12345678                             # address @ deployment block
 * chainseal.publisher.keystore = publisher.json                          # an encrypted Ethereum keystore (Keystore)
 * chainseal.publisher.password-env = CHAINSEAL_PUBLISHER_PASSWORD
 * chainseal.journal = anchor.db                                          # or jdbc:postgresql://…
 * chainseal.store = messages.db                                          # or jdbc:postgresql://…
 * chainseal.store.keystore = kek.p12                                     # the key-encryption key (PKCS#12)
 * chainseal.store.password-env = CHAINSEAL_STORE_PASSWORD
 * chainseal.batch.max-messages = 10000                                   # optional
 * chainseal.batch.max-delay = PT1S                                       # optional, ISO-8601
 * chainseal.confirmations = 3                                            # optional
 * chainseal.trust.publishers = 0x…, 0x…                                  # optional; default: this publisher
 * chainseal.wallet.keystore = wallet.json                                # optional: the account that pays
 * chainseal.wallet.password-env = CHAINSEAL_WALLET_PASSWORD
 * chainseal.wallet.journal = wallet.db                                   # its payment journal (SQLite)
 * </pre>
 *
 * An unknown key is refused (a typo must not fall back to a default silently).
 */
public final class ChainsealConfig {
  private static final Set<String> KEYS = Set.of("chainseal.rpc", "chainseal.chain-id", "chainseal.anchor-contract",
      "chainseal.publisher.keystore", "chainseal.publisher.password-env", "chainseal.journal", "chainseal.store",
      "chainseal.store.keystore", "chainseal.store.password-env", "chainseal.batch.max-messages", "chainseal.batch.max-delay",
      "chainseal.confirmations", "chainseal.trust.publishers", "chainseal.wallet.keystore", "chainseal.wallet.password-env",
      "chainseal.wallet.journal");

  private ChainsealConfig() {}

  /**
   * Reads {@code file} into a builder, passwords from {@code environment}.
   *
   * @throws IllegalArgumentException naming the key that is missing, unknown or malformed, or the file
   *     that cannot be read
   */
  public static Chainseal.Builder load(Path file, Map<String, String> environment) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(environment, "environment == null");
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Path folder = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file has a folder");
    return builder(properties, folder, environment);
  }

  /** {@link #load} for properties already read; relative paths resolve against {@code folder}. */
  public static Chainseal.Builder builder(Properties properties, Path folder, Map<String, String> environment) {
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown configuration keys " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
    }
    Chainseal.Builder b = Chainseal.builder();
    for (String url : required(properties, "chainseal.rpc").split(",", -1)) {
      if (!url.isBlank()) {
        b.rpc(url.strip());
      }
    }
    b.chainId(number(properties, "chainseal.chain-id", null));
    String contract = required(properties, "chainseal.anchor-contract");
    int at = contract.indexOf('@');
    b.anchorContract(address("chainseal.anchor-contract", at < 0 ? contract : contract.substring(0, at)),
        at < 0 ? 0 : number("chainseal.anchor-contract", contract.substring(at + 1)));
    b.publisherKey(publisherKey(folder.resolve(required(properties, "chainseal.publisher.keystore")),
        password(properties, "chainseal.publisher.password-env", environment)));
    String journal = required(properties, "chainseal.journal");
    if (journal.startsWith("jdbc:postgresql:")) {
      b.postgresJournal(journal);
    } else {
      b.journal(folder.resolve(journal));
    }
    KeystoreKeyProvider keys = KeystoreKeyProvider.open(folder.resolve(required(properties, "chainseal.store.keystore")),
        password(properties, "chainseal.store.password-env", environment));
    String store = required(properties, "chainseal.store");
    if (store.startsWith("jdbc:postgresql:")) {
      b.postgresStore(store, keys);
    } else {
      b.store(folder.resolve(store), keys);
    }
    String maxMessages = properties.getProperty("chainseal.batch.max-messages");
    String maxDelay = properties.getProperty("chainseal.batch.max-delay");
    if (maxMessages != null || maxDelay != null) {
      long size = maxMessages == null ? 10_000 : number(properties, "chainseal.batch.max-messages", null);
      Duration delay;
      try {
        delay = maxDelay == null ? Duration.ofSeconds(1) : Duration.parse(maxDelay.strip());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("chainseal.batch.max-delay must be an ISO-8601 duration (PT1S), got '" + maxDelay + "'");
      }
      if (size < 1 || size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("chainseal.batch.max-messages must be between 1 and " + Integer.MAX_VALUE);
      }
      b.batchPolicy(new BatchPolicy((int) size, delay));
    }
    if (properties.getProperty("chainseal.confirmations") != null) {
      long confirmations = number(properties, "chainseal.confirmations", null);
      if (confirmations < 1 || confirmations > 1_000) {
        throw new IllegalArgumentException("chainseal.confirmations must be between 1 and 1000, got " + confirmations);
      }
      b.confirmations((int) confirmations);
    }
    String publishers = properties.getProperty("chainseal.trust.publishers");
    if (publishers != null) {
      for (String publisher : publishers.split(",", -1)) {
        if (!publisher.isBlank()) {
          b.trustPublisher(address("chainseal.trust.publishers", publisher.strip()));
        }
      }
    }
    if (properties.getProperty("chainseal.wallet.keystore") != null) {
      char[] password = password(properties, "chainseal.wallet.password-env", environment);
      Path keystore = folder.resolve(required(properties, "chainseal.wallet.keystore"));
      WalletKey wallet;
      try {
        wallet = Keystore.load(keystore, password); // kept for the process's life: it signs every payment
      } catch (WalletKeyException e) {
        throw new IllegalArgumentException("chainseal.wallet.keystore " + keystore + ": " + e.getMessage(), e);
      } finally {
        Arrays.fill(password, '\0');
      }
      b.wallet(wallet, folder.resolve(required(properties, "chainseal.wallet.journal")));
    } else if (properties.getProperty("chainseal.wallet.journal") != null) {
      throw new IllegalArgumentException("chainseal.wallet.journal without chainseal.wallet.keystore");
    }
    return b;
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.strip();
  }

  private static long number(Properties properties, String key, @Nullable String value) {
    return number(key, value != null ? value : required(properties, key));
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
    }
  }

  private static EvmAddress address(String key, String value) {
    try {
      return EvmAddress.fromHex(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static char[] password(Properties properties, String key, Map<String, String> environment) {
    String variable = required(properties, key);
    String password = environment.get(variable);
    if (password == null) {
      throw new IllegalArgumentException(key + " names the environment variable " + variable + ", which is not set");
    }
    return password.toCharArray();
  }

  /** The secp256k1 key in an encrypted Ethereum keystore file. */
  private static SigningKey publisherKey(Path keystore, char[] password) {
    try (WalletKey key = Keystore.load(keystore, password)) {
      byte[] secret = key.exportSecret();
      try {
        return SigningKey.secp256k1(secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } catch (WalletKeyException e) {
      throw new IllegalArgumentException("chainseal.publisher.keystore " + keystore + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
