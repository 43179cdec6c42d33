# Generated from ui/main_window.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QMainWindow,
    QMenu, QMenuBar, QSizePolicy, QSplitter,
    QStatusBar, QVBoxLayout, QWidget)

from deskapp.gui.panes.canned_pane import CannedPane
from deskapp.gui.panes.case_pane import CasePane
from deskapp.gui.panes.handoff_pane import HandoffPane
from deskapp.gui.panes.history_pane import HistoryPane
from deskapp.gui.panes.queue_pane import QueuePane

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1400, 900)
        MainWindow.setStyleSheet(u"QLabel[placeholder=\"true\"] { background-color: palette(base); border: 1px solid palette(mid); padding: 16px; }")
        self.actionOpenWorkspace = QAction(MainWindow)
        self.actionOpenWorkspace.setObjectName(u"actionOpenWorkspace")
        self.actionChangePassword = QAction(MainWindow)
        self.actionChangePassword.setObjectName(u"actionChangePassword")
        self.actionChangePassword.setEnabled(False)
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QHBoxLayout(self.centralWidget)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(6, 6, 6, 0)
        self.mainSplitter = QSplitter(self.centralWidget)
        self.mainSplitter.setObjectName(u"mainSplitter")
        self.mainSplitter.setOrientation(Qt.Orientation.Horizontal)
        self.mainSplitter.setChildrenCollapsible(False)
        self.caseQueuePane = QWidget(self.mainSplitter)
        self.caseQueuePane.setObjectName(u"caseQueuePane")
        self.caseQueueLayout = QVBoxLayout(self.caseQueuePane)
        self.caseQueueLayout.setObjectName(u"caseQueueLayout")
        self.caseQueueLayout.setContentsMargins(0, 0, 0, 0)
        self.caseQueueHeading = QLabel(self.caseQueuePane)
        self.caseQueueHeading.setObjectName(u"caseQueueHeading")
        self.caseQueueHeading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont()
        font.setBold(True)
        self.caseQueueHeading.setFont(font)

        self.caseQueueLayout.addWidget(self.caseQueueHeading)

        self.queuePane = QueuePane(self.caseQueuePane)
        self.queuePane.setObjectName(u"queuePane")

        self.caseQueueLayout.addWidget(self.queuePane)

        self.caseQueueLayout.setStretch(1, 1)
        self.mainSplitter.addWidget(self.caseQueuePane)
        self.middleSplitter = QSplitter(self.mainSplitter)
        self.middleSplitter.setObjectName(u"middleSplitter")
        self.middleSplitter.setOrientation(Qt.Orientation.Vertical)
        self.middleSplitter.setChildrenCollapsible(False)
        self.caseView = QWidget(self.middleSplitter)
        self.caseView.setObjectName(u"caseView")
        self.caseViewLayout = QVBoxLayout(self.caseView)
        self.caseViewLayout.setObjectName(u"caseViewLayout")
        self.caseViewLayout.setContentsMargins(0, 0, 0, 0)
        self.caseViewHeading = QLabel(self.caseView)
        self.caseViewHeading.setObjectName(u"caseViewHeading")
        self.caseViewHeading.setTextFormat(Qt.TextFormat.PlainText)
        self.caseViewHeading.setFont(font)

        self.caseViewLayout.addWidget(self.caseViewHeading)

        self.caseViewContent = CasePane(self.caseView)
        self.caseViewContent.setObjectName(u"caseViewContent")

        self.caseViewLayout.addWidget(self.caseViewContent)

        self.caseViewLayout.setStretch(1, 1)
        self.middleSplitter.addWidget(self.caseView)
        self.customerHistory = QWidget(self.middleSplitter)
        self.customerHistory.setObjectName(u"customerHistory")
        self.customerHistoryLayout = QVBoxLayout(self.customerHistory)
        self.customerHistoryLayout.setObjectName(u"customerHistoryLayout")
        self.customerHistoryLayout.setContentsMargins(0, 0, 0, 0)
        self.customerHistoryHeading = QLabel(self.customerHistory)
        self.customerHistoryHeading.setObjectName(u"customerHistoryHeading")
        self.customerHistoryHeading.setTextFormat(Qt.TextFormat.PlainText)
        self.customerHistoryHeading.setFont(font)

        self.customerHistoryLayout.addWidget(self.customerHistoryHeading)

        self.customerHistoryContent = HistoryPane(self.customerHistory)
        self.customerHistoryContent.setObjectName(u"customerHistoryContent")

        self.customerHistoryLayout.addWidget(self.customerHistoryContent)

        self.customerHistoryLayout.setStretch(1, 1)
        self.middleSplitter.addWidget(self.customerHistory)
        self.mainSplitter.addWidget(self.middleSplitter)
        self.rightSplitter = QSplitter(self.mainSplitter)
        self.rightSplitter.setObjectName(u"rightSplitter")
        self.rightSplitter.setOrientation(Qt.Orientation.Vertical)
        self.rightSplitter.setChildrenCollapsible(False)
        self.cannedResponses = QWidget(self.rightSplitter)
        self.cannedResponses.setObjectName(u"cannedResponses")
        self.cannedResponsesLayout = QVBoxLayout(self.cannedResponses)
        self.cannedResponsesLayout.setObjectName(u"cannedResponsesLayout")
        self.cannedResponsesLayout.setContentsMargins(0, 0, 0, 0)
        self.cannedResponsesHeading = QLabel(self.cannedResponses)
        self.cannedResponsesHeading.setObjectName(u"cannedResponsesHeading")
        self.cannedResponsesHeading.setTextFormat(Qt.TextFormat.PlainText)
        self.cannedResponsesHeading.setFont(font)

        self.cannedResponsesLayout.addWidget(self.cannedResponsesHeading)

        self.cannedResponsesContent = CannedPane(self.cannedResponses)
        self.cannedResponsesContent.setObjectName(u"cannedResponsesContent")

        self.cannedResponsesLayout.addWidget(self.cannedResponsesContent)

        self.cannedResponsesLayout.setStretch(1, 1)
        self.rightSplitter.addWidget(self.cannedResponses)
        self.handoffEditor = QWidget(self.rightSplitter)
        self.handoffEditor.setObjectName(u"handoffEditor")
        self.handoffEditorLayout = QVBoxLayout(self.handoffEditor)
        self.handoffEditorLayout.setObjectName(u"handoffEditorLayout")
        self.handoffEditorLayout.setContentsMargins(0, 0, 0, 0)
        self.handoffEditorHeading = QLabel(self.handoffEditor)
        self.handoffEditorHeading.setObjectName(u"handoffEditorHeading")
        self.handoffEditorHeading.setTextFormat(Qt.TextFormat.PlainText)
        self.handoffEditorHeading.setFont(font)

        self.handoffEditorLayout.addWidget(self.handoffEditorHeading)

        self.handoffEditorContent = HandoffPane(self.handoffEditor)
        self.handoffEditorContent.setObjectName(u"handoffEditorContent")

        self.handoffEditorLayout.addWidget(self.handoffEditorContent)

        self.handoffEditorLayout.setStretch(1, 1)
        self.rightSplitter.addWidget(self.handoffEditor)
        self.mainSplitter.addWidget(self.rightSplitter)

        self.centralLayout.addWidget(self.mainSplitter)

        MainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(MainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.menuFile = QMenu(self.menuBar)
        self.menuFile.setObjectName(u"menuFile")
        self.menuHelp = QMenu(self.menuBar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)

        self.menuBar.addAction(self.menuFile.menuAction())
        self.menuBar.addAction(self.menuHelp.menuAction())
        self.menuFile.addAction(self.actionOpenWorkspace)
        self.menuFile.addAction(self.actionChangePassword)
        self.menuFile.addSeparator()
        self.menuFile.addAction(self.actionQuit)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Deskapp", None))
#if QT_CONFIG(accessibility)
        MainWindow.setAccessibleName(QCoreApplication.translate("MainWindow", u"Deskapp main window", None))
#endif // QT_CONFIG(accessibility)
        self.actionOpenWorkspace.setText(QCoreApplication.translate("MainWindow", u"&Open workspace\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionOpenWorkspace.setToolTip(QCoreApplication.translate("MainWindow", u"Open a workspace: a file on this computer or your team's server", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionOpenWorkspace.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+O", None))
#endif // QT_CONFIG(shortcut)
        self.actionChangePassword.setText(QCoreApplication.translate("MainWindow", u"Change my &password\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionChangePassword.setToolTip(QCoreApplication.translate("MainWindow", u"Change the password of your own login on the team server", None))
#endif // QT_CONFIG(tooltip)
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"&About Deskapp", None))
#if QT_CONFIG(accessibility)
        self.centralWidget.setAccessibleName(QCoreApplication.translate("MainWindow", u"Workspace", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.mainSplitter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Queue, case and tools", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.caseQueuePane.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case queue pane", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.caseQueueHeading.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case queue heading", None))
#endif // QT_CONFIG(accessibility)
        self.caseQueueHeading.setText(QCoreApplication.translate("MainWindow", u"Case queue", None))
#if QT_CONFIG(accessibility)
        self.queuePane.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case queue views and cases", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.middleSplitter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case and customer history", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.caseView.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.caseViewHeading.setAccessibleName(QCoreApplication.translate("MainWindow", u"Case heading", None))
#endif // QT_CONFIG(accessibility)
        self.caseViewHeading.setText(QCoreApplication.translate("MainWindow", u"Case", None))
#if QT_CONFIG(accessibility)
        self.caseViewContent.setAccessibleName(QCoreApplication.translate("MainWindow", u"The selected case", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.customerHistory.setAccessibleName(QCoreApplication.translate("MainWindow", u"Customer history", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.customerHistoryHeading.setAccessibleName(QCoreApplication.translate("MainWindow", u"Customer history heading", None))
#endif // QT_CONFIG(accessibility)
        self.customerHistoryHeading.setText(QCoreApplication.translate("MainWindow", u"Customer history", None))
#if QT_CONFIG(accessibility)
        self.customerHistoryContent.setAccessibleName(QCoreApplication.translate("MainWindow", u"The customer's profile, cases and timeline", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.rightSplitter.setAccessibleName(QCoreApplication.translate("MainWindow", u"Canned responses and handoff note", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cannedResponses.setAccessibleName(QCoreApplication.translate("MainWindow", u"Canned responses", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cannedResponsesHeading.setAccessibleName(QCoreApplication.translate("MainWindow", u"Canned responses heading", None))
#endif // QT_CONFIG(accessibility)
        self.cannedResponsesHeading.setText(QCoreApplication.translate("MainWindow", u"Canned responses", None))
#if QT_CONFIG(accessibility)
        self.cannedResponsesContent.setAccessibleName(QCoreApplication.translate("MainWindow", u"Canned responses search and preview", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.handoffEditor.setAccessibleName(QCoreApplication.translate("MainWindow", u"Handoff note", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.handoffEditorHeading.setAccessibleName(QCoreApplication.translate("MainWindow", u"Handoff note heading", None))
#endif // QT_CONFIG(accessibility)
        self.handoffEditorHeading.setText(QCoreApplication.translate("MainWindow", u"Handoff note", None))
#if QT_CONFIG(accessibility)
        self.handoffEditorContent.setAccessibleName(QCoreApplication.translate("MainWindow", u"The case's current handoff note", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.menuBar.setAccessibleName(QCoreApplication.translate("MainWindow", u"Menu bar", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.menuFile.setAccessibleName(QCoreApplication.translate("MainWindow", u"File menu", None))
#endif // QT_CONFIG(accessibility)
        self.menuFile.setTitle(QCoreApplication.translate("MainWindow", u"&File", None))
#if QT_CONFIG(accessibility)
        self.menuHelp.setAccessibleName(QCoreApplication.translate("MainWindow", u"Help menu", None))
#endif // QT_CONFIG(accessibility)
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
#if QT_CONFIG(accessibility)
        self.statusBar.setAccessibleName(QCoreApplication.translate("MainWindow", u"Status bar", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

