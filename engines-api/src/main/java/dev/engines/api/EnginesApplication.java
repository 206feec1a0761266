package dev.engines.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Engines service: every engine module behind one HTTP API. The application scans only its own
 * web layer; each engine module wires itself ({@code AutoConfiguration.imports}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan("dev.engines.api.config")
public class EnginesApplication {

  public static void main(String[] args) {
    SpringApplication.run(EnginesApplication.class, args);
  }
}
