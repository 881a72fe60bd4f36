package io.chainseal.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * secp256k1 public-key recovery in Bitcoin Core's libsecp256k1, through ACINQ's JNI binding
 * ({@code fr.acinq.secp256k1:secp256k1-kmp-jni-jvm}, which ships the library for Linux, macOS and
 * Windows and extracts it at first use), when that binding is on the class path and works. Not API.
 *
 * <p>The binding is an optional dependency of {@code chainseal-core}: a verifier in a mobile client
 * needs nothing beyond Bouncy Castle, and a host that wants only Java code excludes the binding or sets
 * the system property {@value #PROPERTY} to {@code false}. It is reached by reflection because
 * {@code io.chainseal.core} is a named module and the binding is not always there; the reflective call
 * costs nanoseconds against a recovery's 30 µs.
 *
 * <p>Fail-closed loading: the library is used only if it recovers the same key as Bouncy Castle for a
 * fixed signature when first loaded; otherwise, and on any error loading it, {@link #INSTANCE} is null
 * and Bouncy Castle recovers everything. Callers check the signature's form (length, v, low s) before
 * calling — libsecp256k1 itself would accept a high s; the library rejects r or s of zero or not below
 * n, an r that is no curve point's x, and a result at infinity, as Bouncy Castle's path does (a
 * differential test of both over those edges and random input found no difference). Only the
 * library's own {@code Secp256k1Exception} means "no key": any other failure is thrown, so that a
 * broken library never turns a valid signature into a rejected one unnoticed.
 *
 * <p>Two properties of the binding a host should know: it writes the native library into
 * {@code java.io.tmpdir} (or {@code fr.acinq.secp256k1.tmpdir}) before loading it, so on a machine
 * shared with untrusted users point that at a folder only the service can write; and its public
 * {@code Secp256k1.get().cleanup()} frees the one context every caller in the JVM shares — Chainseal
 * never calls it, and nothing else in the process may.
 */
final class NativeRecovery {
  /** System property that turns libsecp256k1 off ({@code false}) even when its binding is present. */
  static final String PROPERTY = "chainseal.secp256k1.native";

  private static final Logger log = LoggerFactory.getLogger(NativeRecovery.class);

  /** The loaded binding, or null when Bouncy Castle recovers (decided once per class loader). */
  static final @Nullable NativeRecovery INSTANCE = load();

  private final Object library;
  private final Method ecdsaRecover;
  private final Class<?> invalidSignature;

  private NativeRecovery(Object library, Method ecdsaRecover, Class<?> invalidSignature) {
    this.library = library;
    this.ecdsaRecover = ecdsaRecover;
    this.invalidSignature = invalidSignature;
  }

  /**
   * The 64-byte public key (x ‖ y) that signed {@code hash32}, or null if the signature recovers none.
   *
   * @param signature65 r ‖ s ‖ v, already checked for length, v and low s
   * @param recId 0 or 1
   * @throws IllegalStateException if the library fails other than by refusing the signature
   */
  byte @Nullable [] recover(byte[] signature65, int recId, byte[] hash32) {
    Object result;
    try {
      result = ecdsaRecover.invoke(library, Arrays.copyOf(signature65, 64), hash32, recId);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (invalidSignature.isInstance(cause)) {
        return null; // the library refused the signature: it recovers no key
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("libsecp256k1 failed recovering a key", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("libsecp256k1's binding became inaccessible", e);
    }
    if (!(result instanceof byte[] key) || key.length != 65 || key[0] != 0x04) {
      throw new IllegalStateException("libsecp256k1 returned no uncompressed public key");
    }
    return Arrays.copyOfRange(key, 1, 65);
  }

  private static @Nullable NativeRecovery load() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      log.debug("secp256k1 recovery in Bouncy Castle ({}=false)", PROPERTY);
      return null;
    }
    Class<?> api;
    Class<?> invalidSignature;
    try {
      api = Class.forName("fr.acinq.secp256k1.Secp256k1");
      invalidSignature = Class.forName("fr.acinq.secp256k1.Secp256k1Exception");
    } catch (ClassNotFoundException | LinkageError e) {
      log.debug("secp256k1 recovery in Bouncy Castle (libsecp256k1's binding is not on the class path)");
      return null;
    }
    NativeRecovery candidate;
    try {
      Object library = api.getMethod("get").invoke(null);
      candidate = new NativeRecovery(library, api.getMethod("ecdsaRecover", byte[].class, byte[].class, int.class),
          invalidSignature);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.info("libsecp256k1's binding is on the class path but did not load ({}); secp256k1 recovery stays in Bouncy Castle",
          e.toString());
      return null;
    }
    try {
      if (!candidate.agreesWithBouncyCastle()) {
        log.warn("libsecp256k1 recovered a different key than Bouncy Castle for a known signature; not used");
        return null;
      }
    } catch (RuntimeException | LinkageError e) {
      log.info("libsecp256k1's binding loaded but its first recovery failed ({}); secp256k1 recovery stays in Bouncy Castle",
          e.toString());
      return null;
    }
    log.debug("secp256k1 recovery in libsecp256k1");
    return candidate;
  }

  /** Recovers one fixed signature both ways (a key of all 0x11 bytes, a digest of all 0x22 bytes). */
  private boolean agreesWithBouncyCastle() {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x11);
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 0x22);
    byte[] signature = Secp256k1.sign(secret, digest);
    byte[] recovered = recover(signature, (signature[64] & 0xff) - 27, digest);
    return recovered != null && Arrays.equals(Secp256k1.publicKey(secret), recovered);
  }
}
