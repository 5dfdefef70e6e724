// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace jwb::ui {

// QUndoCommand::id() values: commands with the same id and merge key merge (typing in one field
// becomes one undo step). -1 (never merge) is used when a command has no merge key.
enum CommandId : int {
    SetMetaId = 1001,
    SetIssuerId,
    SetDefaultsId,
    SetExceptionId,
};

} // namespace jwb::ui
