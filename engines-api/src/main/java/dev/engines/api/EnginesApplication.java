package dev.engines.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Engines service: every engine module behind one HTTP API. The application scans only its own
 * web layer; each engine module wires itself ({@code AutoConfiguration.imports}).
 */
@SpringBootApplication
public class EnginesApplication {

  public static void main(String[] args) {
    SpringApplication.run(EnginesApplication.class, args);
  }
}
