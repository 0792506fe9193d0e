package io.tonearm.daemon.dsp;

import java.util.List;

/**
 * Stages run one after the other on the same block: the output path's processing in one visible
 * list. Its latency is the sum of its stages'. Same threading as {@link Stage}.
 */
public final class StageChain implements Stage {

  private final Stage[] stages;

  public StageChain(List<? extends Stage> stages) {
    this.stages = stages.toArray(new Stage[0]);
  }

  public static StageChain of(Stage... stages) {
    return new StageChain(List.of(stages));
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    for (Stage s : stages) {
      s.prepare(sampleRate, channels);
    }
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    for (Stage s : stages) {
      s.process(buf, offset, frames);
    }
  }

  @Override
  public int latencyFrames() {
    int sum = 0;
    for (Stage s : stages) {
      sum += s.latencyFrames();
    }
    return sum;
  }

  @Override
  public void reset() {
    for (Stage s : stages) {
      s.reset();
    }
  }
}
