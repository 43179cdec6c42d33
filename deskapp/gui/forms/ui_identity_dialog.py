# Generated from ui/identity_dialog.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'identity_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_IdentityDialog(object):
    def setupUi(self, IdentityDialog):
        if not IdentityDialog.objectName():
            IdentityDialog.setObjectName(u"IdentityDialog")
        IdentityDialog.resize(460, 420)
        self.mainLayout = QVBoxLayout(IdentityDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.intro = QLabel(IdentityDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)

        self.mainLayout.addWidget(self.intro)

        self.filter = QLineEdit(IdentityDialog)
        self.filter.setObjectName(u"filter")
        self.filter.setClearButtonEnabled(True)

        self.mainLayout.addWidget(self.filter)

        self.people = QListWidget(IdentityDialog)
        self.people.setObjectName(u"people")

        self.mainLayout.addWidget(self.people)

        self.newPerson = QGroupBox(IdentityDialog)
        self.newPerson.setObjectName(u"newPerson")
        self.newForm = QFormLayout(self.newPerson)
        self.newForm.setObjectName(u"newForm")
        self.nameLabel = QLabel(self.newPerson)
        self.nameLabel.setObjectName(u"nameLabel")

        self.newForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.name = QLineEdit(self.newPerson)
        self.name.setObjectName(u"name")

        self.newForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.name)

        self.roleLabel = QLabel(self.newPerson)
        self.roleLabel.setObjectName(u"roleLabel")

        self.newForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.roleLabel)

        self.role = QComboBox(self.newPerson)
        self.role.addItem("")
        self.role.addItem("")
        self.role.addItem("")
        self.role.setObjectName(u"role")

        self.newForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.role)

        self.add = QPushButton(self.newPerson)
        self.add.setObjectName(u"add")

        self.newForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.add)


        self.mainLayout.addWidget(self.newPerson)

        self.message = QLabel(IdentityDialog)
        self.message.setObjectName(u"message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.mainLayout.addWidget(self.message)

        self.buttons = QDialogButtonBox(IdentityDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.name)
        self.roleLabel.setBuddy(self.role)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.filter, self.people)
        QWidget.setTabOrder(self.people, self.name)
        QWidget.setTabOrder(self.name, self.role)
        QWidget.setTabOrder(self.role, self.add)
        QWidget.setTabOrder(self.add, self.buttons)

        self.retranslateUi(IdentityDialog)

        QMetaObject.connectSlotsByName(IdentityDialog)
    # setupUi

    def retranslateUi(self, IdentityDialog):
        IdentityDialog.setWindowTitle(QCoreApplication.translate("IdentityDialog", u"Who is working here?", None))
#if QT_CONFIG(accessibility)
        IdentityDialog.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Sign in to a local workspace", None))
#endif // QT_CONFIG(accessibility)
        self.intro.setText(QCoreApplication.translate("IdentityDialog", u"This workspace is a file on this computer. Choose who you are, or add yourself.", None))
#if QT_CONFIG(accessibility)
        self.filter.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Find a person", None))
#endif // QT_CONFIG(accessibility)
        self.filter.setPlaceholderText(QCoreApplication.translate("IdentityDialog", u"Type to find your name\u2026", None))
#if QT_CONFIG(accessibility)
        self.people.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"People in this workspace", None))
#endif // QT_CONFIG(accessibility)
        self.newPerson.setTitle(QCoreApplication.translate("IdentityDialog", u"I'm new here", None))
#if QT_CONFIG(accessibility)
        self.newPerson.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Add yourself", None))
#endif // QT_CONFIG(accessibility)
        self.nameLabel.setText(QCoreApplication.translate("IdentityDialog", u"&Your name:", None))
#if QT_CONFIG(accessibility)
        self.name.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Your name", None))
#endif // QT_CONFIG(accessibility)
        self.name.setPlaceholderText(QCoreApplication.translate("IdentityDialog", u"As colleagues know you, e.g. Dana Scully", None))
        self.roleLabel.setText(QCoreApplication.translate("IdentityDialog", u"&Role:", None))
        self.role.setItemText(0, QCoreApplication.translate("IdentityDialog", u"Rep", None))
        self.role.setItemText(1, QCoreApplication.translate("IdentityDialog", u"Team lead", None))
        self.role.setItemText(2, QCoreApplication.translate("IdentityDialog", u"Admin", None))

#if QT_CONFIG(accessibility)
        self.role.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Your role", None))
#endif // QT_CONFIG(accessibility)
        self.add.setText(QCoreApplication.translate("IdentityDialog", u"&Add me and sign in", None))
#if QT_CONFIG(accessibility)
        self.add.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Add me and sign in", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.message.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Sign-in message", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.buttons.setAccessibleName(QCoreApplication.translate("IdentityDialog", u"Dialog buttons", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

