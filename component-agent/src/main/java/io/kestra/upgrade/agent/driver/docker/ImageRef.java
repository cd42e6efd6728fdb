package io.kestra.upgrade.agent.driver.docker;

import java.util.Optional;

/**
 * An image reference split as the engine reads it: {@code registry:5000/org/kestra:v1.0.0} is
 * repository {@code registry:5000/org/kestra} and tag {@code v1.0.0} (a colon after the last slash
 * starts the tag; one before it is a registry's port).
 */
record ImageRef(String repository, Optional<String> tag) {

  static ImageRef parse(String image) {
    String name = image;
    int digest = name.indexOf('@');
    if (digest >= 0) {
      name = name.substring(0, digest);
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      return new ImageRef(name.substring(0, colon), Optional.of(name.substring(colon + 1)));
    }
    return new ImageRef(name, Optional.empty());
  }

  /** {@code repository:tag}. */
  String withTag(String newTag) {
    return repository + ":" + newTag;
  }
}
