package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationLogTest {
  private static List<Hash32> commitments(int n) {
    List<Hash32> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Fixtures.message("m-" + i, "text " + i).commit(Fixtures.salt(i)));
    }
    return out;
  }

  @Test
  void aParticipantCanCheckThatTheLogOnlyGrew() {
    List<Hash32> messages = commitments(40);
    ConversationLog log = ConversationLog.restore("room-42", messages.subList(0, 13));
    LogCheckpoint seen = log.checkpoint();
    messages.subList(13, 40).forEach(log::append);
    LogCheckpoint now = log.checkpoint();
    ProofCheck check = ConversationLog.verifyExtension(seen, now, log.consistencyProof(seen.size(), now.size()));
    assertTrue(check.valid(), check.reason());
  }

  @Test
  void removedChangedOrReorderedEarlierMessagesAreCaught() {
    List<Hash32> messages = commitments(20);
    LogCheckpoint seen = ConversationLog.restore("room-42", messages.subList(0, 10)).checkpoint();

    List<Hash32> removed = new ArrayList<>(messages);
    removed.remove(4);
    List<Hash32> changed = new ArrayList<>(messages);
    changed.set(7, Fixtures.message("m-7", "edited").commit(Fixtures.salt(7)));
    List<Hash32> reordered = new ArrayList<>(messages);
    Collections.swap(reordered, 2, 3);

    for (List<Hash32> history : List.of(removed, changed, reordered)) {
      ConversationLog rewritten = ConversationLog.restore("room-42", history);
      LogCheckpoint now = rewritten.checkpoint();
      ProofCheck check = ConversationLog.verifyExtension(seen, now, rewritten.consistencyProof(seen.size(), now.size()));
      assertFalse(check.valid(), "rewritten history accepted");
    }
  }

  @Test
  void aMessageIsProvenToBeTheIthOfItsConversation() {
    List<Hash32> messages = commitments(9);
    ConversationLog log = ConversationLog.restore("room-42", messages);
    for (int i = 0; i < 9; i++) {
      InclusionProof proof = log.inclusionProof(i, 9);
      assertTrue(MerkleVerifier.verifyInclusion(messages.get(i), proof, log.checkpoint().root()).valid());
      assertEquals(messages.get(i), log.commitment(i));
    }
    assertFalse(MerkleVerifier.verifyInclusion(messages.get(3), log.inclusionProof(4, 9), log.checkpoint().root()).valid());
  }

  @Test
  void checkpointsOfOtherConversationsOrSizesDoNotMatch() {
    List<Hash32> messages = commitments(6);
    ConversationLog a = ConversationLog.restore("a", messages);
    ConversationLog b = ConversationLog.restore("b", messages);
    ConsistencyProof proof = a.consistencyProof(3, 6);
    assertFalse(ConversationLog.verifyExtension(new LogCheckpoint("a", 3, a.rootAt(3)), b.checkpoint(), proof).valid());
    assertFalse(ConversationLog.verifyExtension(new LogCheckpoint("a", 2, a.rootAt(2)), a.checkpoint(), proof).valid());
  }
}
