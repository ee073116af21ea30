namespace Backcall.Storage;

/// <summary>
/// One schema step: the script of <c>Migrations/NNN_name.sql</c> and the version it brings the database to.
/// </summary>
/// <param name="Name">The file name (<c>001_initial.sql</c>), for the record some stores keep of what ran.</param>
internal sealed record Migration(int Version, string Name, string Sql);
