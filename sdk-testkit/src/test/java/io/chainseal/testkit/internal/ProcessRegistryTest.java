package io.chainseal.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRegistryTest {

  @Test
  void recordsPidStartTimeAndWhatWithoutSpaces(@TempDir Path folder) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      ProcessRegistry.record(folder, child.toHandle(), "a test child");
      String line = Files.readString(folder.resolve(child.pid() + ".pid")).trim();
      String[] fields = line.split(" ");
      assertEquals(3, fields.length, line);
      assertEquals(Long.toString(child.pid()), fields[0]);
      assertNotEquals("-", fields[1], "start time read from /proc");
      assertEquals(ProcessRegistry.startTicks(child.pid()), fields[1]);
      assertEquals("a_test_child", fields[2]);
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void startTimeOfAnotherProcessDiffers() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
    Process first = new ProcessBuilder("sleep", "30").start();
    try {
      // The start time tells a recycled pid apart: ours is not the same as that of pid 1.
      assertNotEquals(ProcessRegistry.startTicks(1), ProcessRegistry.startTicks(first.pid()));
      assertEquals("-", ProcessRegistry.startTicks(Long.MAX_VALUE));
    } finally {
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
