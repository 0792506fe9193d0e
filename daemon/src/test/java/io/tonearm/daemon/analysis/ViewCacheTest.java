package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tonearm.proto.v1.FrameView;
import org.junit.jupiter.api.Test;

class ViewCacheTest {

  @Test
  void keepsStatePerViewAndForgetsViewsNobodyRenders() {
    ViewCache<int[]> cache = new ViewCache<>();
    FrameView a = FrameView.newBuilder().setTopic("spectrum").setFps(30).build();
    FrameView b = FrameView.newBuilder().setTopic("spectrum").setFps(60).build();
    int[] first = cache.get(a, 0, v -> new int[1]);
    assertSame(first, cache.get(FrameView.newBuilder(a).build(), 1_000_000, v -> new int[1]));
    cache.get(b, 2_000_000, v -> new int[1]);
    assertEquals(2, cache.size());
    // At 11 s a is rendered again; at 12 s a new view arrives and b, idle for 10 s, is dropped.
    cache.get(a, 11_000_001, v -> new int[1]);
    cache.get(FrameView.newBuilder(b).setFps(90).build(), 12_000_002, v -> new int[1]);
    assertEquals(2, cache.size()); // b (idle since 2 s) is gone, a and the new view remain
  }
}
