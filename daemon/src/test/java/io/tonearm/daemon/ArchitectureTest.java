package io.tonearm.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The daemon's package rules: no cycles between packages, Netty only in {@code transport},
 * jaudiotagger only in {@code library}, JNA (libopus, libmp3lame) only in the codec packages {@code
 * decode} and {@code encode}, no protobuf in the audio engine, and the HTTP routing types only at
 * the API edge.
 */
@AnalyzeClasses(
    packages = "io.tonearm.daemon",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.tonearm.daemon.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTransportSeesNetty =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.tonearm.daemon.transport..", "io.tonearm.daemon")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");

  @ArchTest
  static final ArchRule onlyRelaySeesLettuce =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.tonearm.daemon.relay..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.lettuce..");

  @ArchTest
  static final ArchRule onlyLibrarySeesJaudiotagger =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.tonearm.daemon.library..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.jaudiotagger..");

  @ArchTest
  static final ArchRule onlyCodecsSeeJna =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.tonearm.daemon.decode..", "io.tonearm.daemon.encode..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.sun.jna..");

  @ArchTest
  static final ArchRule engineSeesNoProtobuf =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.tonearm.daemon.audio..",
              "io.tonearm.daemon.decode..",
              "io.tonearm.daemon.output..",
              "io.tonearm.daemon.resample..",
              "io.tonearm.daemon.dsp..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.google.protobuf..", "io.tonearm.proto..");

  @ArchTest
  static final ArchRule routingTypesOnlyAtTheApiEdge =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "io.tonearm.daemon.api..",
              "io.tonearm.daemon.command..",
              "io.tonearm.daemon.transport..")
          .and()
          .doNotHaveFullyQualifiedName("io.tonearm.daemon.Daemon")
          .and()
          .doNotHaveFullyQualifiedName("io.tonearm.daemon.RelayNode")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.tonearm.daemon.api..");
}
