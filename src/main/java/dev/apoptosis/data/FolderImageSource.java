package dev.apoptosis.data;

import dev.apoptosis.io.DeclaredSize;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Images in a directory tree {@code root/<class>/<image>}. Class folders hold image files
 * ({@code .jpg}, {@code .jpeg}, {@code .png}, any case) directly; hidden files (starting with a dot)
 * are ignored; anything else (other files, nested folders, files directly in the root, an empty
 * class, a symbolic link leading out of the folder) is an error naming it, rather than being
 * silently skipped.
 */
final class FolderImageSource implements ImageSource {
    private final Path root;

    FolderImageSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public String identity() {
        return "folder:" + root;
    }

    private record FileInfo(int label, String relative, Path path, long size, long mtimeMillis) {}

    private List<FileInfo> scan(List<String> classesOut) throws IOException {
        DataFiles.requireDirectory(root, "image folder");
        Path realRoot = root.toRealPath();
        List<String> classes = new ArrayList<>();
        for (Path p : sortedChildren(root)) {
            String n = p.getFileName().toString();
            if (n.startsWith(".")) continue;
            requireInside(p, realRoot);
            if (!Files.isDirectory(p)) {
                throw new DatasetException(p, "unexpected file in the root of an image folder (expected only class folders)");
            }
            classes.add(n);
        }
        if (classes.isEmpty()) throw new DatasetException(root, "no class folders");
        List<FileInfo> files = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path dir = root.resolve(classes.get(c));
            int before = files.size();
            for (Path p : sortedChildren(dir)) {
                String n = p.getFileName().toString();
                if (n.startsWith(".")) continue;
                requireInside(p, realRoot);
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isDirectory()) throw new DatasetException(p, "nested folder inside a class folder is not supported");
                if (!a.isRegularFile() || !isImageName(n)) {
                    throw new DatasetException(p, "not a .jpg, .jpeg or .png image file");
                }
                files.add(new FileInfo(c, classes.get(c) + "/" + n, p, a.size(), a.lastModifiedTime().toMillis()));
            }
            if (files.size() == before) throw new DatasetException(dir, "class folder holds no images");
        }
        classesOut.addAll(classes);
        return files;
    }

    /**
     * A symbolic link in the tree is followed only if it leads to a place inside the folder: a reader
     * never follows a path out of the folder it was given (docs/reliability.md).
     */
    private static void requireInside(Path p, Path realRoot) throws IOException {
        if (!Files.isSymbolicLink(p)) return;
        Path target;
        try {
            target = p.toRealPath();
        } catch (IOException e) {
            throw new DatasetException(p, "symbolic link to a missing file (" + Files.readSymbolicLink(p) + ")");
        }
        if (!target.startsWith(realRoot)) {
            throw new DatasetException(p, "symbolic link to " + target + ", outside the image folder " + realRoot
                    + "; links are followed only within it (copy the file in, or give the folder that holds it)");
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) out.add(p);
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }

    @Override
    public String fingerprint() throws IOException {
        List<String> classes = new ArrayList<>();
        List<FileInfo> files = scan(classes);
        StringBuilder sb = new StringBuilder("folder\n");
        for (String c : classes) sb.append("class ").append(c).append('\n');
        for (FileInfo f : files) {
            sb.append(f.relative()).append('\t').append(f.size()).append('\t').append(f.mtimeMillis()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public Listing list() throws IOException {
        List<String> classes = new ArrayList<>();
        List<FileInfo> files = scan(classes);
        List<Item> items = new ArrayList<>(files.size());
        for (FileInfo f : files) {
            items.add(new Item() {
                @Override
                public int label() {
                    return f.label();
                }

                @Override
                public String path() {
                    return f.path().toString();
                }

                @Override
                public byte[] bytes() throws IOException {
                    // Read the size the file has now (it may have changed since the scan), checked like any declared size.
                    long size = DataFiles.requireRegular(f.path());
                    DeclaredSize.arrayLength(size, 1, Long.MAX_VALUE, "image file", DataFiles.refusal(f.path()));
                    return Files.readAllBytes(f.path());
                }
            });
        }
        return new Listing(List.copyOf(classes), items);
    }
}
