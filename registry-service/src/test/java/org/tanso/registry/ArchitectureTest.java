package org.tanso.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Business rules stay plain Java: testable without Quarkus, a database or a broker. */
@AnalyzeClasses(
    packages = "org.tanso.registry",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule domainUsesNoFrameworks =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.quarkus..",
              "jakarta..",
              "org.hibernate..",
              "org.apache.kafka..",
              "org.eclipse.microprofile..",
              "io.smallrye..",
              "io.vertx..",
              "com.fasterxml..",
              "org.tanso.http..",
              "org.tanso.outbox..");

  @ArchTest
  static final ArchRule domainDoesNotReachOutward =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("..domain..", "java..");
}
