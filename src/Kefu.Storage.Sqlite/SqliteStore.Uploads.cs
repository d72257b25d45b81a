using Kefu.Core.Storage;
using Kefu.Storage.Sqlite.Reading;
using Kefu.Storage.Sqlite.Uploads;

namespace Kefu.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private IUploadStore? _uploads;

    /// <summary>Upload metadata on this store.</summary>
    public IUploadStore Uploads => _uploads ??= new SqliteUploadStore(_writer, new SqliteReader(_connections));
}
