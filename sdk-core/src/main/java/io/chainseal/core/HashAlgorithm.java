package io.chainseal.core;

import org.jspecify.annotations.Nullable;

/** Hash functions a proof may name. Version 1 of the proof format knows one. */
public enum HashAlgorithm {
  /** SHA-256 (FIPS 180-4), as RFC 9162 trees use. */
  SHA_256("sha-256");

  private final String jsonName;

  HashAlgorithm(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in proof documents. */
  public String jsonName() {
    return jsonName;
  }

  /** The algorithm called {@code name} in a proof document, or {@code null} if unknown. */
  static @Nullable HashAlgorithm fromJsonName(String name) {
    for (HashAlgorithm algorithm : values()) {
      if (algorithm.jsonName.equals(name)) {
        return algorithm;
      }
    }
    return null;
  }
}
