package io.chainseal.core;

/**
 * A proof or envelope document is malformed: not JSON, too large, a missing or unknown field, a value
 * of the wrong type, length or range. {@link #field()} names the offending field as a JSON path such
 * as {@code batch.path[3]}. Checked: documents are untrusted input, and callers must handle them.
 */
public final class FormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  public FormatException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
  }

  /** The field (if any) and the problem; never null. */
  @Override
  public String getMessage() {
    return java.util.Objects.requireNonNull(super.getMessage());
  }

  /** The JSON path of the offending field, or empty for the document as a whole. */
  public String field() {
    return field;
  }
}
