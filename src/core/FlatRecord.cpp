#include "FlatRecord.h"

namespace tributary {

const FlatField *FlatRecord::field(const QString &column) const
{
    for (const FlatField &f : fields) {
        if (f.column == column)
            return &f;
    }
    return nullptr;
}

} // namespace tributary
