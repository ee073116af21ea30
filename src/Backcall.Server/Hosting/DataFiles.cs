namespace Backcall.Server.Hosting;

/// <summary>
/// The data directory and the files in it that hold secrets (the database holds webhook secrets and token
/// hashes, the key files the admin and PBX keys): owner-only whatever the umask, and a clear one-line
/// error naming the path when they cannot be written.
/// </summary>
public static class DataFiles
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>SQLite's companions of a database file, which it creates with the database file's mode.</summary>
    private static readonly string[] SqliteCompanions = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the directory (owner-only when new) and checks that a file can be written in it.</summary>
    /// <exception cref="IOException">It cannot be created or written; the message names the path and the
    /// fix.</exception>
    public static string PrepareDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            if (!Directory.Exists(full))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(full);
                }
                else
                {
                    Directory.CreateDirectory(full, OwnerOnlyDirectory);
                }
            }

            var probe = Path.Combine(full, $".write-test-{Environment.ProcessId}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"cannot write the data directory {full}: {Reason(ex)} (choose another with --data or "
                    + "Server:DataDirectory, or give this user write access)",
                ex);
        }
    }

    /// <summary>
    /// Creates the SQLite database file empty and owner-only before SQLite opens it (SQLite then creates its
    /// -wal and -shm files with the same mode), or takes an existing one and its companions down to owner-only.
    /// </summary>
    /// <exception cref="IOException">It cannot be created or written; the message names the path and the
    /// fix.</exception>
    public static void PrepareDatabaseFile(string path)
    {
        var full = Path.GetFullPath(path);
        PrepareDirectory(Path.GetDirectoryName(full)!);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.ReadWrite,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (new FileStream(full, options))
            {
            }

            if (!OperatingSystem.IsWindows())
            {
                foreach (var file in SqliteCompanions.Select(s => full + s).Prepend(full).Where(File.Exists))
                {
                    File.SetUnixFileMode(file, OwnerOnlyFile);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"cannot write the database {full}: {Reason(ex)} (choose another with Storage:SqlitePath or --data, "
                + "or give this user write access)",
                ex);
        }
    }

    private static string Reason(Exception ex) =>
        ex switch
        {
            UnauthorizedAccessException => "permission denied",
            DirectoryNotFoundException => "a part of the path is not a directory",
            _ when ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) =>
                "read-only file system",
            _ => ex.Message.TrimEnd('.'),
        };
}
