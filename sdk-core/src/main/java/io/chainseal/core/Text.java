package io.chainseal.core;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Objects;

/** Validation and NFC normalization of the text fields of envelopes. */
final class Text {
  static final int MAX_ID_BYTES = 1024;

  private Text() {}

  /**
   * Returns {@code value} in Unicode Normalization Form C, after checking that it is well-formed
   * UTF-16 (an unpaired surrogate has no UTF-8 encoding, so two different strings would encode alike).
   */
  static String normalize(String value, String field) {
    Objects.requireNonNull(value, field + " == null");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i);
      }
    }
    return Normalizer.isNormalized(value, Normalizer.Form.NFC) ? value : Normalizer.normalize(value, Normalizer.Form.NFC);
  }

  static String requireId(String value, String field) {
    String normalized = normalize(value, field);
    int bytes = normalized.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0) {
      throw new IllegalArgumentException(field + " is empty");
    }
    if (bytes > MAX_ID_BYTES) {
      throw new IllegalArgumentException(field + " is " + bytes + " bytes of UTF-8, more than " + MAX_ID_BYTES);
    }
    return normalized;
  }
}
