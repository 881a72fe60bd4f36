package io.chainseal.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.MessageStore;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.StoreEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as one portable archive (data portability, GDPR art. 20): a zip of JSON files in the
 * shapes of {@code docs/proof-format.md} — each message with its salt ({@code messages/N.json}), each
 * proof ({@code proofs/N.json}) — and {@code manifest.json} listing them:
 *
 * <pre>{"format": "chainseal-bundle/1", "conversation": "…", "exportedAt": "ISO-8601",
 *  "messages": [{"conversationId": "…", "messageId": "…", "commitment": "hex", "erased": false,
 *                "message": "messages/0.json", "proof": "proofs/0.json"},
 *               {"conversationId": "…", "messageId": "…", "commitment": "hex", "erased": true,
 *                "erasedAt": "ISO-8601", "proof": "proofs/1.json"}, …]}</pre>
 *
 * An erased message is listed with {@code "erased": true}, no message file, and its proof reduced for
 * erasure: what verifies then is that <em>a</em> message with that commitment was anchored — its ids
 * are the archive's word. A verified archive shows that each message it lists is authentic, not that
 * it lists every message of the conversation (an export leaves out messages whose proof is not ready). Anyone verifies an archive with {@link #verify} — offline checks and the chain, through a
 * {@link ProvenanceVerifier} and its trust settings, without the host's database — and
 * {@link #importInto} accepts it into a store only if every message verifies.
 */
public final class ConversationBundle {
  public static final String FORMAT = "chainseal-bundle/1";
  public static final String MANIFEST = "manifest.json";
  /**
   * The most bytes one file of an archive may have, the whole archive unpacked (it is held in memory:
   * a small zip of zeros must not exhaust the heap), and the most files.
   */
  static final long MAX_FILE = 24L * 1024 * 1024;
  static final long MAX_TOTAL = 256L * 1024 * 1024;
  static final int MAX_FILES = 200_001;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConversationBundle() {}

  /**
   * One finding about a file of an archive.
   *
   * @param file the file in the archive
   * @param reason what is wrong, or the verdict's reason
   */
  public record Problem(String file, String reason) {
    public Problem {
      Objects.requireNonNull(file, "file == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /**
   * A message of an archive and its verdict.
   *
   * @param ref its ids
   * @param erased whether the archive holds only its proof
   * @param verdict the verifier's verdict
   */
  public record Item(MessageRef ref, boolean erased, ProvenanceResult verdict) {}

  /**
   * What verifying an archive found.
   *
   * @param conversation the conversation the manifest names (empty if the manifest is unreadable)
   * @param items every message whose files could be read, with its verdict
   * @param problems every file that is missing, malformed, inconsistent or not verified
   */
  public record Report(String conversation, List<Item> items, List<Problem> problems) {
    public Report {
      items = List.copyOf(items);
      problems = List.copyOf(problems);
    }

    /** Whether every message verified, by a trusted publisher, and nothing else is wrong. */
    public boolean verified() {
      return problems.isEmpty() && items.stream().allMatch(item -> item.verdict().isVerifiedByTrustedPublisher());
    }
  }

  /**
   * Writes {@code conversationId}'s messages and proofs from {@code store} to the zip {@code archive}
   * (written to a temporary file and moved into place). Messages without a proof yet are left out.
   *
   * @return how many messages the archive holds
   * @throws IOException if the archive cannot be written
   */
  public static int export(MessageStore store, String conversationId, Path archive) throws IOException {
    Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(archive, "archive == null");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("conversation", conversationId);
    manifest.put("exportedAt", Instant.now().toString());
    ArrayNode list = manifest.putArray("messages");
    Path temporary = Files.createTempFile(archive.toAbsolutePath().getParent(), ".bundle-", ".tmp");
    int count = 0;
    try {
      try (OutputStream file = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(file)) {
        for (MessageRef ref : store.conversation(conversationId)) {
          StoreEntry entry = store.get(ref).orElse(null);
          if (entry == null || entry.proof().isEmpty()) {
            continue;
          }
          ObjectNode item = list.addObject();
          item.put("conversationId", ref.conversationId());
          item.put("messageId", ref.messageId());
          item.put("commitment", entry.commitment().hex());
          item.put("erased", entry.erased());
          entry.erasedAt().ifPresent(time -> item.put("erasedAt", time.toString()));
          String proofFile = "proofs/" + count + ".json";
          write(zip, proofFile, ProofCodec.toJson(entry.erased() ? entry.proof().get().redactedForErasure() : entry.proof().get()));
          item.put("proof", proofFile);
          if (entry.message().isPresent()) {
            String messageFile = "messages/" + count + ".json";
            write(zip, messageFile, EnvelopeCodec.toJson(entry.message().get()));
            item.put("message", messageFile);
          }
          count++;
        }
        write(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
      }
      Files.move(temporary, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return count;
  }

  private static void write(ZipOutputStream zip, String name, String json) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(json.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /**
   * Verifies every message of the archive: the manifest's listing, each message's ids and commitment
   * against its files, and each proof offline and on chain with {@code verifier}. Never throws for a
   * bad archive: every problem is a {@link Problem} naming its file.
   */
  public static Report verify(Path archive, ProvenanceVerifier verifier) {
    Objects.requireNonNull(archive, "archive == null");
    Objects.requireNonNull(verifier, "verifier == null");
    List<Problem> problems = new ArrayList<>();
    Map<String, byte[]> files = read(archive, problems);
    if (files == null) {
      return new Report("", List.of(), problems);
    }
    return verify(new LinkedHashMap<>(files), verifier, problems);
  }

  /**
   * The messages of an archive, read and checked against its manifest (ids, commitments, files) but not
   * verified: what {@link ForwardTrace} follows across several archives.
   *
   * @param conversation the conversation the manifest names (empty if the manifest is unreadable)
   * @param messages every message whose files could be read: an erased one with its proof only
   * @param problems every file that is missing, malformed or inconsistent
   */
  public record Contents(String conversation, List<StoreEntry> messages, List<Problem> problems) {
    public Contents {
      Objects.requireNonNull(conversation, "conversation == null");
      messages = List.copyOf(messages);
      problems = List.copyOf(problems);
    }
  }

  /** Reads the archive's messages without verifying them. Never throws for a bad archive. */
  public static Contents read(Path archive) {
    Objects.requireNonNull(archive, "archive == null");
    List<Problem> problems = new ArrayList<>();
    Map<String, byte[]> files = read(archive, problems);
    if (files == null) {
      return new Contents("", List.of(), problems);
    }
    Parsed parsed = parse(new LinkedHashMap<>(files), problems);
    return new Contents(parsed.conversation(), parsed.listed().stream().map(Listed::entry).toList(), problems);
  }

  /** A message as its manifest lists it: where in the manifest, the file blamed for its verdict, what was read. */
  private record Listed(String where, String file, StoreEntry entry) {}

  private record Parsed(String conversation, List<Listed> listed) {}

  /** Verifies the files of an archive (the map is consumed). */
  private static Report verify(Map<String, byte[]> files, ProvenanceVerifier verifier, List<Problem> problems) {
    Parsed parsed = parse(files, problems);
    List<Item> items = new ArrayList<>();
    for (Listed listed : parsed.listed()) {
      StoreEntry entry = listed.entry();
      MessageProof proof = entry.proof().orElseThrow();
      ProvenanceResult verdict = entry.message().isEmpty() ? verifier.verifyErased(proof)
          : verifier.verify(entry.message().get().envelope(), entry.message().get().salt(), proof);
      Item item = new Item(entry.ref(), entry.erased(), verdict);
      items.add(item);
      if (!verdict.isVerifiedByTrustedPublisher()) {
        problems.add(new Problem(listed.file(), verdict.status() + ": " + verdict.reason()));
      }
    }
    return new Report(parsed.conversation(), items, problems);
  }

  /** Reads the manifest and every file it lists (the map is consumed); each problem names its file. */
  private static Parsed parse(Map<String, byte[]> files, List<Problem> problems) {
    List<Listed> listed = new ArrayList<>();
    byte[] manifestBytes = files.remove(MANIFEST);
    if (manifestBytes == null) {
      problems.add(new Problem(MANIFEST, "missing"));
      return new Parsed("", listed);
    }
    JsonNode manifest;
    try {
      manifest = JSON.readTree(manifestBytes);
    } catch (IOException e) {
      problems.add(new Problem(MANIFEST, "not JSON: " + e.getClass().getSimpleName()));
      return new Parsed("", listed);
    }
    if (manifest == null || !FORMAT.equals(manifest.path("format").asText()) || !manifest.path("messages").isArray()
        || !manifest.path("conversation").isTextual()) {
      problems.add(new Problem(MANIFEST, "not a " + FORMAT + " manifest (format, conversation and messages are required)"));
      return new Parsed("", listed);
    }
    String conversation = manifest.get("conversation").asText();
    if (manifest.get("messages").isEmpty()) {
      problems.add(new Problem(MANIFEST, "lists no messages: nothing to verify"));
    }
    java.util.Set<MessageRef> refs = new java.util.HashSet<>();
    java.util.Set<Hash32> commitments = new java.util.HashSet<>();
    int index = 0;
    for (JsonNode node : manifest.get("messages")) {
      String where = MANIFEST + " messages[" + index++ + "]";
      StoreEntry entry = parseOne(node, where, conversation, files, problems);
      if (entry == null) {
        continue;
      }
      if (!refs.add(entry.ref()) || !commitments.add(entry.commitment())) {
        problems.add(new Problem(where, "lists " + entry.ref() + " (or its commitment) a second time"));
        continue;
      }
      listed.add(new Listed(where, node.path(entry.erased() ? "proof" : "message").asText(where), entry));
    }
    for (String unlisted : files.keySet()) {
      problems.add(new Problem(unlisted, "in the archive but not in the manifest"));
    }
    return new Parsed(conversation, listed);
  }

  private static @Nullable StoreEntry parseOne(JsonNode listed, String where, String conversation, Map<String, byte[]> files,
      List<Problem> problems) {
    MessageRef ref;
    Hash32 commitment;
    try {
      ref = new MessageRef(listed.path("conversationId").asText(""), listed.path("messageId").asText(""));
      commitment = Hash32.fromHex(listed.path("commitment").asText(""));
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(where, "ids or commitment malformed: " + e.getMessage()));
      return null;
    }
    if (!ref.conversationId().equals(conversation)) {
      problems.add(new Problem(where, "message " + ref + " is of another conversation than the manifest's"));
      return null;
    }
    if (!listed.path("erased").isBoolean()) {
      problems.add(new Problem(where, "\"erased\" must be true or false"));
      return null;
    }
    boolean erased = listed.get("erased").booleanValue();
    String proofFile = listed.path("proof").asText("");
    String messageFile = listed.path("message").asText("");
    byte[] proofBytes = files.remove(proofFile);
    byte[] messageBytes = files.remove(messageFile); // both listed files are accounted for, whatever fails below
    if (proofBytes == null) {
      problems.add(new Problem(proofFile.isEmpty() ? where : proofFile, "proof of " + ref + " missing"));
      return null;
    }
    MessageProof proof;
    try {
      proof = ProofCodec.parse(proofBytes);
    } catch (FormatException e) {
      problems.add(new Problem(proofFile, "not a proof: " + e.getMessage()));
      return null;
    }
    if (!proof.commitment().equals(commitment)) {
      problems.add(new Problem(proofFile, "proves commitment " + proof.commitment().hex() + ", the manifest lists " + commitment.hex()));
      return null;
    }
    if (erased) {
      if (listed.hasNonNull("message")) {
        problems.add(new Problem(where, "an erased message with a message file"));
        return null;
      }
      Instant erasedAt;
      try {
        erasedAt = Instant.parse(listed.path("erasedAt").asText(""));
      } catch (java.time.format.DateTimeParseException e) {
        problems.add(new Problem(where, "an erased message needs \"erasedAt\" (ISO-8601)"));
        return null;
      }
      return new StoreEntry(ref, commitment, Optional.empty(), Optional.of(proof), Optional.of(erasedAt));
    }
    if (messageBytes == null) {
      problems.add(new Problem(messageFile.isEmpty() ? where : messageFile, "message " + ref + " missing"));
      return null;
    }
    SaltedEnvelope message;
    try {
      message = EnvelopeCodec.parseSalted(messageBytes);
    } catch (FormatException e) {
      problems.add(new Problem(messageFile, "not a message with its salt: " + e.getMessage()));
      return null;
    }
    if (!message.envelope().conversationId().equals(ref.conversationId()) || !message.envelope().messageId().equals(ref.messageId())) {
      problems.add(new Problem(messageFile, "holds " + message.envelope().conversationId() + "/" + message.envelope().messageId()
          + ", the manifest lists " + ref));
      return null;
    }
    return new StoreEntry(ref, commitment, Optional.of(message), Optional.of(proof), Optional.empty());
  }

  /** The archive's files by name, or null (with a problem) if it cannot be read within the limits. */
  private static @Nullable Map<String, byte[]> read(Path archive, List<Problem> problems) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (files.size() == MAX_FILES) {
          problems.add(new Problem(archive.getFileName().toString(), "more than " + MAX_FILES + " files"));
          return null;
        }
        byte[] bytes = zip.readNBytes((int) MAX_FILE + 1);
        if (bytes.length > MAX_FILE) {
          problems.add(new Problem(entry.getName(), "larger than " + MAX_FILE + " bytes"));
          return null;
        }
        total += bytes.length;
        if (total > MAX_TOTAL) {
          problems.add(new Problem(archive.getFileName().toString(), "unpacks to more than " + MAX_TOTAL + " bytes"));
          return null;
        }
        if (files.put(entry.getName(), bytes) != null) {
          problems.add(new Problem(entry.getName(), "twice in the archive"));
          return null;
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add(new Problem(archive.getFileName().toString(), "not a readable zip archive: " + e.getMessage()));
      return null;
    }
    return files;
  }

  /**
   * Verifies the archive and, only if every message verifies, stores its messages and proofs in
   * {@code store} (erased messages have nothing to store). Nothing is stored otherwise.
   *
   * @return the verification report; {@link Report#verified()} says whether anything was imported
   */
  public static Report importInto(Path archive, ProvenanceVerifier verifier, MessageStore store) {
    Objects.requireNonNull(archive, "archive == null");
    Objects.requireNonNull(verifier, "verifier == null");
    Objects.requireNonNull(store, "store == null");
    List<Problem> problems = new ArrayList<>();
    Map<String, byte[]> files = read(archive, problems); // read once: what is imported is what was verified
    if (files == null) {
      return new Report("", List.of(), problems);
    }
    Report report = verify(new LinkedHashMap<>(files), verifier, problems);
    if (!report.verified()) {
      return report;
    }
    try {
      JsonNode manifest = JSON.readTree(files.get(MANIFEST));
      List<SaltedEnvelope> messages = new ArrayList<>();
      List<MessageProof> proofs = new ArrayList<>();
      for (JsonNode listed : manifest.get("messages")) {
        if (!listed.get("erased").booleanValue()) {
          messages.add(EnvelopeCodec.parseSalted(Objects.requireNonNull(files.get(listed.get("message").asText()))));
          proofs.add(ProofCodec.parse(Objects.requireNonNull(files.get(listed.get("proof").asText()))));
        }
      }
      store.putAll(messages);
      for (int i = 0; i < messages.size(); i++) {
        SaltedEnvelope message = messages.get(i);
        store.putProof(new MessageRef(message.envelope().conversationId(), message.envelope().messageId()), proofs.get(i));
      }
    } catch (IOException | FormatException e) {
      throw new IllegalStateException("a verified archive did not parse again: " + e.getMessage(), e);
    }
    return report;
  }
}
