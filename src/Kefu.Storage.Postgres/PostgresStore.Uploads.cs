using Kefu.Core.Storage;
using Kefu.Storage.Postgres.Uploads;

namespace Kefu.Storage.Postgres;

public sealed partial class PostgresStore
{
    private IUploadStore? _uploads;

    /// <summary>Upload metadata on this store.</summary>
    public IUploadStore Uploads => _uploads ??= new PostgresUploadStore(_reader);
}
