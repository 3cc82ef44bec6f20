def life_steps(grid: list[str], steps: int) -> list[str]:
    board = list(grid)
    h = len(board)
    w = len(board[0]) if h else 0
    for _ in range(steps):
        new_board = []
        for r in range(h):
            row = ""
            for c in range(w):
                count = 0
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        if dr == 0 and dc == 0:
                            continue
                        nr, nc = r + dr, c + dc
                        if 0 <= nr < h and 0 <= nc < w and board[nr][nc] == "#":
                            count += 1
                if board[r][c] == "#" and count in (2, 3):
                    row += "#"
                elif board[r][c] == "." and count == 3:
                    row += "#"
                else:
                    row += "."
            new_board.append(row)
        board = new_board
    return board
