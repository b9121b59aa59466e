package dev.labjournal.query.failures.signature;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells project frames from library frames and normalises both (see {@link Frame}). A Python frame is a library's when
 * its file is installed ({@code site-packages}, {@code dist-packages}), in the standard library, or under a known ML
 * package directory ({@code torch/}, {@code tensorflow/}, ...) even outside an installation (a source checkout); a JVM
 * frame when its class is in a known runtime or library namespace ({@code java.*}, {@code org.apache.*}, ...).
 */
final class Frames {

    /** Package directories that are libraries wherever they are installed. */
    private static final Set<String> PYTHON_LIBRARIES = Set.of(
            "torch",
            "torchvision",
            "torchaudio",
            "tensorflow",
            "keras",
            "tf_keras",
            "jax",
            "jaxlib",
            "flax",
            "optax",
            "sklearn",
            "xgboost",
            "lightgbm",
            "transformers",
            "accelerate",
            "datasets",
            "tokenizers",
            "safetensors",
            "peft",
            "lightning",
            "pytorch_lightning",
            "lightning_fabric",
            "deepspeed",
            "ray",
            "numpy",
            "pandas",
            "scipy",
            "apex",
            "triton",
            "horovod");

    private static final List<String> JVM_LIBRARIES = List.of(
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "com.sun.",
            "scala.",
            "kotlin.",
            "org.apache.",
            "org.springframework.",
            "org.opensearch.",
            "org.elasticsearch.",
            "com.google.",
            "com.fasterxml.",
            "io.netty.",
            "io.vertx.",
            "io.quarkus.",
            "ai.djl.",
            "org.deeplearning4j.",
            "org.nd4j.",
            "ml.dmlc.",
            "org.tensorflow.",
            "py4j.");

    private static final Pattern PYTHON_VERSION_DIR = Pattern.compile("python\\d+(\\.\\d+)?");
    private static final Pattern JVM_SYNTHETIC = Pattern.compile("\\$\\$Lambda[^.(]*|\\$\\d+");

    private Frames() {}

    /** A Python frame from its file and function. */
    static Frame python(String file, String function) {
        String path = file.replace('\\', '/');
        if (path.startsWith("<")) {
            return new Frame(path + ":" + function, false);
        }
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("site-packages") || segment.equals("dist-packages")) {
                return library(segments, i + 1, function);
            }
            if (PYTHON_LIBRARIES.contains(segment) && i < segments.length - 1) {
                return library(segments, i, function);
            }
        }
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].equals("lib")
                    && PYTHON_VERSION_DIR.matcher(segments[i + 1]).matches()) {
                return library(segments, i + 2, function);
            }
        }
        int from = Math.max(0, segments.length - 2);
        return new Frame(
                String.join("/", Arrays.asList(segments).subList(from, segments.length)) + ":" + function, true);
    }

    private static Frame library(String[] segments, int from, String function) {
        String relative = String.join("/", Arrays.asList(segments).subList(from, segments.length));
        return new Frame(relative + ":" + function, false);
    }

    /**
     * A JVM frame from the text between {@code at } and the source location: {@code java.base/java.lang.Thread.run},
     * {@code org.acme.Trainer.lambda$fit$3}. The module prefix and generated names ({@code $1}, lambdas) are dropped.
     */
    static Frame jvm(String method) {
        String withoutSynthetic = JVM_SYNTHETIC.matcher(method).replaceAll("");
        String qualified = withoutSynthetic.substring(withoutSynthetic.lastIndexOf('/') + 1);
        boolean library = JVM_LIBRARIES.stream().anyMatch(qualified::startsWith);
        return new Frame(qualified, !library);
    }
}
