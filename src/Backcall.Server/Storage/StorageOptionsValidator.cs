using Backcall.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Backcall.Server.Storage;

/// <summary>Checks the <c>Storage</c> section: one database, and a PostgreSQL connection string that parses.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Example = "Host=db;Database=backcall;Username=backcall";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new OptionErrors(StorageOptions.Section);
        if (string.IsNullOrWhiteSpace(options.Postgres))
        {
            return errors.Result();
        }

        if (!string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            errors.Add(
                nameof(StorageOptions.SqlitePath),
                "is set together with Storage:Postgres; set one: Postgres for many nodes, SqlitePath for one.");
        }

        try
        {
            if (string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(options.Postgres).Host))
            {
                errors.Add(nameof(StorageOptions.Postgres), $"names no Host; it must be like {Example}.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The message names the keyword at fault, never the value (a password may be among them).
            errors.Add(
                nameof(StorageOptions.Postgres),
                $"is not a PostgreSQL connection string like {Example} ({ex.Message}).");
        }

        return errors.Result();
    }
}
