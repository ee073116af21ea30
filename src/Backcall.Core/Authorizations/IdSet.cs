namespace Backcall.Core.Authorizations;

/// <summary>
/// A small set of authorization ids, for the index's per-phone map: almost every phone has one pending
/// authorization, so one id is held inline and a list is made only for a second. A hash set per phone was
/// 190 bytes of each live authorization. A mutable struct, kept only inside a dictionary and changed by reference.
/// </summary>
internal struct IdSet
{
    private long _only;
    private bool _hasOnly;
    private List<long>? _many;

    public readonly bool IsEmpty => _many is null ? !_hasOnly : _many.Count == 0;

    public void Add(long id)
    {
        if (_many is not null)
        {
            if (!_many.Contains(id))
            {
                _many.Add(id);
            }
        }
        else if (!_hasOnly)
        {
            (_only, _hasOnly) = (id, true);
        }
        else if (_only != id)
        {
            _many = [_only, id];
            _hasOnly = false;
        }
    }

    /// <summary>Takes the id out; true when the set is empty then.</summary>
    public bool Remove(long id)
    {
        if (_many is not null)
        {
            _many.Remove(id);
        }
        else if (_hasOnly && _only == id)
        {
            _hasOnly = false;
        }

        return IsEmpty;
    }

    public readonly IReadOnlyList<long> ToList() => _many is not null ? [.. _many] : _hasOnly ? [_only] : [];
}
