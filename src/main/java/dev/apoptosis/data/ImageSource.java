package dev.apoptosis.data;

import java.io.IOException;
import java.util.List;

/**
 * Where encoded images of an image-folder split come from: a directory tree
 * ({@link FolderImageSource}) or a subtree of a tar archive ({@link TarImageSource}), both laid out
 * as {@code <root>/<class>/<image>}.
 *
 * <p>Classes are the sub-folder names sorted by name and images are sorted by file name within
 * each class, as in torchvision's {@code ImageFolder}, so labels and sample order match it.
 */
interface ImageSource {
    /** One encoded image: its label, its path for messages, and its bytes (possibly read lazily). */
    interface Item {
        int label();

        String path();

        byte[] bytes() throws IOException;
    }

    /** The sorted class names and the items in sample order. */
    record Listing(List<String> classes, List<Item> items) {}

    /** For messages and logs, e.g. "/data/x/train" or "/data/x.tar.gz!x/train". */
    String describe();

    /** A stable identity of this source (absolute location and subtree) for naming its cache file. */
    String identity();

    /**
     * A text, cheap next to decoding, that changes whenever the source content may have changed:
     * for a folder, every image's relative name, size and modification time; for an archive, its
     * size and a digest of its bytes.
     */
    String fingerprint() throws IOException;

    /** Lists (and for archives reads) every image. */
    Listing list() throws IOException;
}
